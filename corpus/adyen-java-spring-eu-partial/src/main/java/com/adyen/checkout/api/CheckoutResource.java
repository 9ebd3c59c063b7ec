package com.adyen.checkout.api;

import com.adyen.Client;
import com.adyen.checkout.ApplicationProperty;
import com.adyen.enums.Environment;
import com.adyen.model.checkout.Amount;
import com.adyen.model.checkout.CreateCheckoutSessionRequest;
import com.adyen.model.checkout.CreateCheckoutSessionResponse;
import com.adyen.service.checkout.PaymentsApi;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api")
public class CheckoutResource {
    private final ApplicationProperty applicationProperty;
    private final PaymentsApi paymentsApi;

    public CheckoutResource(ApplicationProperty applicationProperty) {
        this.applicationProperty = applicationProperty;
        var client = new Client(applicationProperty.getApiKey(), Environment.TEST);
        this.paymentsApi = new PaymentsApi(client);
    }

    @PostMapping("/sessions")
    public ResponseEntity<CreateCheckoutSessionResponse> sessions() throws Exception {
        var request = new CreateCheckoutSessionRequest();
        request.setMerchantAccount(applicationProperty.getMerchantAccount());
        request.setAmount(new Amount().currency("GBP").value(4500L));
        request.setReturnUrl("https://shop.thistle-and-pine.example/redirect");
        request.setReference("TP-" + System.currentTimeMillis());
        return ResponseEntity.ok(paymentsApi.sessions(request));
    }
}
