using PaypalServerSdk.Standard;
using PaypalServerSdk.Standard.Authentication;
using PaypalServerSdk.Standard.Controllers;

namespace PayPalStandardIntegration;

public class CheckoutController
{
    private readonly OrdersController _ordersController;

    private string _paypalClientId => System.Environment.GetEnvironmentVariable("PAYPAL_CLIENT_ID");
    private string _paypalClientSecret => System.Environment.GetEnvironmentVariable("PAYPAL_CLIENT_SECRET");

    public CheckoutController()
    {
        var client = new PaypalServerSdkClient.Builder()
            .ClientCredentialsAuth(new ClientCredentialsAuthModel.Builder(_paypalClientId, _paypalClientSecret).Build())
            .Environment(PaypalServerSdk.Standard.Environment.Sandbox)
            .Build();
        _ordersController = client.OrdersController;
    }
}
