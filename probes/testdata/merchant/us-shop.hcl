# A US merchant: ACH payout account (ABA routing number) and an EIN.
merchant {
  legal_name      = "Prairie Goods LLC"
  country         = "US"
  tax_id          = "84-2790516"
  tax_id_verified = true
  payout_account {
    routing_number = "053112505"
    account_number = "4830011722"
    holder         = "Prairie Goods LLC"
  }
}
