legal_name = "X"
