using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EventProcessor.Encryption;
using EventProcessor.Events.Validation;
using EventProcessor.Hosting;
using EventProcessor.LambdaTrigger.Configuration;
using EventProcessor.LambdaTrigger.Starting;
using EventProcessor.LambdaTrigger.Tests.Support;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.LambdaTrigger.Tests.Starting;

/// <summary>
/// The trigger's own gRPC call over TLS with a private CA and an API key, against a frontend
/// stand-in on loopback that answers StartWorkflowExecution as gRPC over HTTP/2 does (a 5-byte
/// length-prefixed message, then the grpc-status trailer; the framing of gRPC's PROTOCOL-HTTP2
/// document). Temporal Cloud reads the key from <c>authorization: Bearer</c> and the namespace
/// from <c>temporal-namespace</c>, which is what the SDK sends.
/// </summary>
public sealed class GrpcConnectionTests
{
    [Fact]
    public async Task Over_TLS_with_a_private_CA_the_start_carries_the_api_key_and_namespace_and_returns_the_run()
    {
        await using var frontend = await TlsFrontend.StartAsync();
        var settings = new TemporalSettings($"localhost:{frontend.Port}", "cloud-ns.a1b2c", "queue", "secret-api-key",
            new TemporalTlsSettings(frontend.CaPath, null, null));
        using var connection = new TemporalGrpcConnection(settings);
        var starter = new TemporalWorkflowStarter(connection, new WorkflowPayloads(EncryptionSettings.Disabled));
        var parsed = new EventParser().Parse(Samples.Valid("TicketCommentedEvent"));

        var result = await starter.StartAsync(parsed, CancellationToken.None);

        Assert.Equal(new WorkflowStartResult(parsed.Envelope.Id, parsed.WorkflowId, "run-from-stand-in", false), result);
        var call = Assert.Single(frontend.Calls);
        Assert.Equal("Bearer secret-api-key", call.Authorization);
        Assert.Equal("cloud-ns.a1b2c", call.Namespace);
        Assert.Equal("cloud-ns.a1b2c", call.Request.Namespace);
        Assert.Equal(parsed.WorkflowId, call.Request.WorkflowId);
        Assert.Equal("queue", call.Request.TaskQueue.Name);
    }

    [Fact]
    public async Task A_server_certificate_outside_the_trusted_roots_is_a_transient_not_started_error_and_nothing_is_sent()
    {
        await using var frontend = await TlsFrontend.StartAsync();

        // No CaPath: the system's roots, which do not hold the stand-in's private CA.
        var settings = new TemporalSettings($"localhost:{frontend.Port}", "default", "queue", "secret-api-key", TemporalTlsSettings.None);
        using var connection = new TemporalGrpcConnection(settings);
        var starter = new TemporalWorkflowStarter(connection, new WorkflowPayloads(EncryptionSettings.Disabled));
        var parsed = new EventParser().Parse(Samples.Valid("TicketCommentedEvent"));

        var error = await Assert.ThrowsAsync<WorkflowNotStartedException>(() => starter.StartAsync(parsed, CancellationToken.None));

        Assert.Contains($"was not started: could not connect to Temporal at localhost:{frontend.Port}", error.Message, StringComparison.Ordinal);
        Assert.Empty(frontend.Calls);
    }

    private sealed record Call(string? Authorization, string? Namespace, StartWorkflowExecutionRequest Request);

    private sealed class TlsFrontend : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly string directory;

        private TlsFrontend(WebApplication app, string directory, int port)
        {
            this.app = app;
            this.directory = directory;
            Port = port;
        }

        public ConcurrentQueue<Call> Calls { get; } = new();

        public int Port { get; }

        public string CaPath => Path.Combine(directory, "ca.pem");

        public static async Task<TlsFrontend> StartAsync()
        {
            var directory = Directory.CreateTempSubdirectory("trigger-tls-").FullName;
            using var caKey = RSA.Create(2048);
            var caRequest = new CertificateRequest("CN=Trigger Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            await File.WriteAllTextAsync(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());

            using var serverKey = RSA.Create(2048);
            var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            serverRequest.CertificateExtensions.Add(names.Build());
            serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var signed = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(30), RandomNumberGenerator.GetBytes(8));
            var server = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                l.UseHttps(server);
            }));
            var app = builder.Build();
            TlsFrontend? self = null;
            app.MapPost($"/{TemporalGrpcConnection.ServiceName}/StartWorkflowExecution", async (HttpContext context) =>
            {
                var request = StartWorkflowExecutionRequest.Parser.ParseFrom(await ReadMessageAsync(context.Request.Body));
                self!.Calls.Enqueue(new Call(context.Request.Headers.Authorization, context.Request.Headers["temporal-namespace"], request));
                context.Response.ContentType = "application/grpc";
                await WriteMessageAsync(context.Response.Body, new StartWorkflowExecutionResponse { RunId = "run-from-stand-in", Started = true });
                context.Response.AppendTrailer("grpc-status", "0");
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            self = new TlsFrontend(app, directory, new Uri(address).Port);
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }

        private static async Task<byte[]> ReadMessageAsync(Stream body)
        {
            var header = new byte[5];
            await body.ReadExactlyAsync(header);
            var message = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
            await body.ReadExactlyAsync(message);
            return message;
        }

        private static async Task WriteMessageAsync(Stream body, IMessage message)
        {
            var bytes = message.ToByteArray();
            var frame = new byte[5 + bytes.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
            bytes.CopyTo(frame, 5);
            await body.WriteAsync(frame);
        }
    }
}
