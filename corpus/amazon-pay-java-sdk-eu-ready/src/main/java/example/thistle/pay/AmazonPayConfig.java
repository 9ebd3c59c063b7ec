package example.thistle.pay;

import com.amazon.pay.api.AmazonPayClientException;
import com.amazon.pay.api.PayConfiguration;
import com.amazon.pay.api.WebstoreClient;
import com.amazon.pay.api.types.Environment;
import com.amazon.pay.api.types.Region;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class AmazonPayConfig {
    @Bean
    public WebstoreClient webstoreClient(@Value("${amazonpay.public-key-id}") String keyId,
                                         @Value("${amazonpay.private-key-path}") String keyPath) throws Exception {
        PayConfiguration payConfiguration = new PayConfiguration()
                .setPublicKeyId(keyId)
                .setRegion(Region.EU)
                .setPrivateKey(new String(Files.readAllBytes(Paths.get(keyPath))).toCharArray())
                .setAlgorithm("AMZN-PAY-RSASSA-PSS-V2");
        return new WebstoreClient(payConfiguration);
    }
}
