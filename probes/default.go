package probes

// Default returns a registry with every built-in probe kind.
func Default() *Registry {
	r, err := NewRegistry(
		Config{},
		File{},
		HTTP{},
		Scan{},
		Merchant{},
		Image{},
		TLS{},
		StripeAccount{},
		Page{}, Webhook{}, Source{}, Packages{}, Errors{},
	)
	if err != nil {
		panic(err) // the built-in list is fixed at compile time
	}
	return r
}
