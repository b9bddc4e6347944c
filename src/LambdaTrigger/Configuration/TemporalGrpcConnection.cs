using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EventProcessor.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>
/// The process's one connection to the Temporal frontend: a gRPC channel over which the trigger
/// calls <c>WorkflowService/StartWorkflowExecution</c> itself. Not the SDK client: that one loads
/// a 31 MB native bridge and cannot be compiled ahead of time, while this is all the trigger needs.
/// The channel is created on first use and dials lazily (not during Lambda's init, and after a
/// SnapStart restore rather than before); a failed connection is dialled again by the next call.
/// TLS, mTLS and the API key are applied as the SDK applies them: TLS when a key or a PEM is set,
/// the key as <c>authorization: Bearer</c> metadata, and the namespace in <c>temporal-namespace</c>.
/// </summary>
public sealed class TemporalGrpcConnection : IDisposable
{
    /// <summary>Temporal's frontend service, as in temporal/api workflowservice/v1/service.proto.</summary>
    public const string ServiceName = "temporal.api.workflowservice.v1.WorkflowService";

    /// <summary>A connection attempt that hangs is abandoned after this, so a later event tries afresh.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly Method<StartWorkflowExecutionRequest, StartWorkflowExecutionResponse> StartMethod = new(
        MethodType.Unary,
        ServiceName,
        "StartWorkflowExecution",
        Marshallers.Create(static r => r.ToByteArray(), StartWorkflowExecutionRequest.Parser.ParseFrom),
        Marshallers.Create(static r => r.ToByteArray(), StartWorkflowExecutionResponse.Parser.ParseFrom));

    private readonly Lock gate = new();
    private readonly Metadata headers;
    private GrpcChannel? channel;
    private CallInvoker? invoker;

    public TemporalGrpcConnection(TemporalSettings settings)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        headers = new Metadata { { "temporal-namespace", settings.Namespace } };
        if (settings.ApiKey is { } apiKey)
        {
            headers.Add("authorization", $"Bearer {apiKey}");
        }
    }

    public TemporalSettings Settings { get; }

    /// <summary>
    /// StartWorkflowExecution. Unavailable and ResourceExhausted answers are retried by the
    /// channel within <paramref name="cancellationToken"/>, as the SDK retried them: safe, since
    /// every attempt carries the same request id and the server deduplicates on it.
    /// </summary>
    /// <exception cref="RpcException">Temporal refused, or could not be reached.</exception>
    public async Task<StartWorkflowExecutionResponse> StartWorkflowExecutionAsync(StartWorkflowExecutionRequest request, CancellationToken cancellationToken)
    {
        using var call = Invoker().AsyncUnaryCall(StartMethod, null, new CallOptions(headers, cancellationToken: cancellationToken), request);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (gate)
        {
            channel?.Dispose();
            channel = null;
            invoker = null;
        }
    }

    private CallInvoker Invoker()
    {
        lock (gate)
        {
            if (invoker is null)
            {
                channel = CreateChannel(Settings);
                invoker = channel.CreateCallInvoker();
            }

            return invoker;
        }
    }

    private static GrpcChannel CreateChannel(TemporalSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            UseProxy = false,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
        };
        if (settings.UsesTls)
        {
            handler.SslOptions = TlsOptions(settings.Tls);
        }

        var scheme = settings.UsesTls ? "https" : "http";
        return GrpcChannel.ForAddress(new Uri($"{scheme}://{settings.Address}"), new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 4 * 1024 * 1024,
            ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = 5,
                            InitialBackoff = TimeSpan.FromMilliseconds(100),
                            MaxBackoff = TimeSpan.FromSeconds(2),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.ResourceExhausted },
                        },
                    },
                },
            },
        });
    }

    /// <summary>System trust unless a private CA is given; the client certificate for mTLS. The PEM files are read here, once per process.</summary>
    private static SslClientAuthenticationOptions TlsOptions(TemporalTlsSettings tls)
    {
        var options = new SslClientAuthenticationOptions();
        if (tls.ClientCertPath is { } certPath && tls.ClientKeyPath is { } keyPath)
        {
            options.ClientCertificates = [X509Certificate2.CreateFromPemFile(certPath, keyPath)];
        }

        if (tls.CaPath is { } caPath)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedByPrivateCa(certificate, errors, roots);
        }

        return options;
    }

    private static bool TrustedByPrivateCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        // A wrong host name is never forgiven; only the chain is judged against the given CA instead of the system's.
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
