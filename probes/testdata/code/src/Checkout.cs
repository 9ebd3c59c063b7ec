using PaypalServerSdk.Standard;

var client = new PaypalServerSdkClient.Builder()
    .Environment(PaypalServerSdk.Standard.Environment.Sandbox)
    .Build();
