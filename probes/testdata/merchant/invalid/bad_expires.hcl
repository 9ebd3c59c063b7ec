merchant {
  legal_name = "X"
  country    = "FR"
  card_on_file {
    brand   = "visa"
    last4   = "4242"
    expires = "08/27"
  }
}
