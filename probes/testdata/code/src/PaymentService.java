package shop.payments;

import com.adyen.Client;
import com.adyen.enums.Environment;

public class PaymentService {
    // Client client = new Client(apiKey, Environment.LIVE, "prefix");
    private final Client client = new Client(System.getenv("ADYEN_API_KEY"), Environment.TEST);

    Config config() {
        var config = new Config();
        config.setEnvironment(Environment.TEST);
        return config;
    }
}
