merchant {
  legal_name = "X"
  country    = "FR"
  card_on_file {
    last4 = "4111111111111111"
  }
}
