def a():
    return 1
<<<<<<< HEAD
x = 1
=======
x = 2
>>>>>>> branch
def b():
    return 2
