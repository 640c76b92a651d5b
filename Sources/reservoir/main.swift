print("reservoir: in progress")
