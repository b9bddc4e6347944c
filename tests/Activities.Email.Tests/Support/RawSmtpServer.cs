using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventProcessor.Activities.Email.Tests.Support;

/// <summary>
/// A bare TCP server for what a real SMTP server library will not do: say nothing at all (so the
/// client times out waiting for the greeting), or greet with a refusal such as <c>421</c>.
/// </summary>
public sealed class RawSmtpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> held = [];
    private readonly byte[]? greeting;

    public RawSmtpServer(string? greeting = null)
    {
        this.greeting = greeting is null ? null : Encoding.ASCII.GetBytes(greeting + "\r\n");
        listener.Start();
        _ = HoldConnectionsAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Dispose()
    {
        listener.Stop();
        lock (held)
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private async Task HoldConnectionsAsync()
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync();
                lock (held)
                {
                    held.Add(socket);
                }

                if (greeting is not null)
                {
                    await socket.SendAsync(greeting);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
