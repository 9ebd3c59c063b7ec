module example.com/shop

go 1.22

require github.com/stripe/stripe-go/v76 v76.25.0

require (
	github.com/adyen/adyen-go-api-library/v9 v9.1.0 // indirect
	golang.org/x/text v0.14.0
)
