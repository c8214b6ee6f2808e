print("processo-api")
