return x := 1
