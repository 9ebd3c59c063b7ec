using Adyen.Core.Options;

namespace adyen_dotnet_checkout_example
{
    public class Program
    {
        public static void Main(string[] args) => CreateHostBuilder(args).Build().Run();

        public static IHostBuilder CreateHostBuilder(string[] args) =>
            Host.CreateDefaultBuilder(args)
                .ConfigureCheckout((context, services, config) =>
                {
                    config.ConfigureAdyenOptions(x =>
                    {
                        x.AdyenApiKey = context.Configuration["ADYEN_API_KEY"];
                        x.Environment = AdyenEnvironment.Test;
                    });
                })
                .ConfigureWebHostDefaults(webBuilder => webBuilder.UseStartup<Startup>());
    }
}
