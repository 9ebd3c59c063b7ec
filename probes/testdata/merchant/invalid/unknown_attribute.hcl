merchant {
  legal_name = "X"
  country    = "FR"
  tax_idd    = "FR40303265045"
}
