merchant {
  legal_name = "X"
  country    = "FR"
  support {
    email = "a@b.fr"
  }
  support {
    email = "c@d.fr"
  }
}
