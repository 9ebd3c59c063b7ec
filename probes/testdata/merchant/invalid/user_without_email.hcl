merchant {
  legal_name = "X"
  country    = "FR"
  seller_central_user {
    roles = ["finance"]
  }
}
