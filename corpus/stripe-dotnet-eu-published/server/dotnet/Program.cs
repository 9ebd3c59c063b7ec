using DotNetEnv;
using Stripe;

Env.Load();
StripeConfiguration.ApiKey = Environment.GetEnvironmentVariable("STRIPE_SECRET_KEY");
StripeConfiguration.AppInfo = new AppInfo { Name = "stripe-samples/accept-a-payment/payment-element" };

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable("STATIC_DIR")))
});

app.MapGet("/config", () => Results.Ok(new { publishableKey = Environment.GetEnvironmentVariable("STRIPE_PUBLISHABLE_KEY") }));

app.MapPost("/webhook", async (HttpRequest req) =>
{
    var json = await new StreamReader(req.Body).ReadToEndAsync();
    try
    {
        var stripeEvent = EventUtility.ConstructEvent(json, req.Headers["Stripe-Signature"], Environment.GetEnvironmentVariable("STRIPE_WEBHOOK_SECRET"));
        if (stripeEvent.Type == Events.PaymentIntentSucceeded) Console.WriteLine("Payment succeeded");
        return Results.Ok();
    }
    catch (StripeException)
    {
        return Results.BadRequest();
    }
});

app.Run();
