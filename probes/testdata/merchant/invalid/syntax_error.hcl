merchant {
  legal_name = "X"
  country    = "FR"
