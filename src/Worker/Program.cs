return await EventProcessor.Worker.WorkerHost.RunAsync(args, Console.Error);
