using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Converters;

namespace EventProcessor.Encryption;

public static class EncryptionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the checked <see cref="EncryptionSettings"/>, the product's <see cref="DataConverter"/>
    /// and, when encryption is on, the <see cref="IPayloadCodec"/>. Section <c>Encryption</c> is read
    /// here, not on first use, so a missing or malformed key fails start-up naming the setting.
    /// </summary>
    public static IServiceCollection AddEventProcessorEncryption(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = EncryptionOptions.Read(configuration);
        var converter = EventProcessorDataConverter.Create(settings);
        services.AddSingleton(settings);
        services.AddSingleton(converter);
        if (converter.PayloadCodec is { } codec)
        {
            services.AddSingleton(codec);
        }

        return services;
    }
}
