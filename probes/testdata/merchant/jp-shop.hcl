# A Japanese merchant: a bank/branch account and a qualified invoice number.
merchant {
  legal_name      = "株式会社さくら商店"
  country         = "JP"
  tax_id          = "T1180301018771"
  tax_id_verified = true
  payout_account {
    bank_code      = "0005"
    branch_code    = "001"
    account_type   = "ordinary"
    account_number = "1234567"
    holder         = "カ）サクラシヨウテン"
  }
}
