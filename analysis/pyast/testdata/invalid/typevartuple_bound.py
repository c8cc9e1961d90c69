type A[*Ts: int] = Ts
