module shop.example/pay

go 1.22

require github.com/stripe/stripe-go/v79 v79.1.0
