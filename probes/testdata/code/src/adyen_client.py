import Adyen

adyen = Adyen.Adyen()
adyen.client.platform = "test"  # "live" in production
