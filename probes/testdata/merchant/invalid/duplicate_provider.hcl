merchant {
  legal_name = "X"
  country    = "FR"
  service_provider "amazon-pay" { aoc_date = "2026-03-01" }
  service_provider "amazon-pay" { aoc_date = "2026-03-31" }
  service_provider "psp" { aoc_date = "March 2026" }
}
