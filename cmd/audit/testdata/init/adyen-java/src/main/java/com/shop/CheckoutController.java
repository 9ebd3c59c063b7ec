package com.shop;

import com.adyen.Client;
import com.adyen.enums.Environment;

public class CheckoutController {
    private final Client client = new Client(System.getenv("ADYEN_API_KEY"), Environment.TEST);
}
