print("implicit-reg-bench: not built yet")
