using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace ActorCache.Protocol;

/// <summary>
/// The compact binary wire format of every message a client and a node exchange. Each payload starts with the format
/// version; the manifest names the message. An unknown manifest, an unknown version, truncated or malformed bytes
/// all give a <see cref="SerializationException"/>, never another exception.
/// </summary>
public sealed class ProtocolSerializer : SerializerWithStringManifest
{
    /// <summary>The format version written first in every payload.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The serializer's identifier in Akka's registry (ids below 100 are Akka's own).</summary>
    public const int Id = 4055;

    /// <summary>Replies nest (arrays of arrays); deeper than this is refused rather than recursed into.</summary>
    public const int MaxReplyDepth = 32;

    private const string RequestManifest = "req";
    private const string ReplyManifest = "rep";
    private const string GetKeyspacesManifest = "gks";
    private const string KeyspaceDirectoryManifest = "ksd";
    private const string FlushToDiskManifest = "ftd";
    private const string FlushedToDiskManifest = "fdd";
    private const string GetStatsManifest = "gst";
    private const string NodeStatsManifest = "nst";
    private const string TransactionManifest = "txn";

    /// <summary>The figures of one <see cref="DatabaseStats"/> on the wire, in the order of its constructor.</summary>
    private const int DatabaseStatsFields = 14;

    private readonly ExtendedActorSystem _system;

    /// <summary>Created by Akka from the configuration in <see cref="Configuration"/>.</summary>
    public ProtocolSerializer(ExtendedActorSystem system)
        : base(system)
    {
        _system = system;
    }

    /// <summary>HOCON that registers this serializer for every protocol message; nodes and clients include it.</summary>
    public static Config Configuration { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.actor-cache-protocol = "{{typeof(ProtocolSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "{{typeof(CacheRequest).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(CacheReply).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(GetKeyspaces).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(KeyspaceDirectory).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(FlushToDisk).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(FlushedToDisk).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(GetStats).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(NodeStats).AssemblyQualifiedName}}" = actor-cache-protocol
            "{{typeof(CacheTransaction).AssemblyQualifiedName}}" = actor-cache-protocol
          }
        }
        """);

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        CacheRequest => RequestManifest,
        CacheReply => ReplyManifest,
        GetKeyspaces => GetKeyspacesManifest,
        KeyspaceDirectory => KeyspaceDirectoryManifest,
        FlushToDisk => FlushToDiskManifest,
        FlushedToDisk => FlushedToDiskManifest,
        GetStats => GetStatsManifest,
        NodeStats => NodeStatsManifest,
        CacheTransaction => TransactionManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not an ActorCache protocol message", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        var writer = new WireWriter();
        writer.Byte(FormatVersion);
        switch (obj)
        {
            case CacheRequest request:
                writer.Int64(request.CorrelationId);
                writer.Int32(request.Database);
                writer.Int32(request.Arguments.Length);
                foreach (var argument in request.Arguments) writer.Bytes(argument);
                break;
            case CacheReply reply:
                writer.Int64(reply.CorrelationId);
                WriteReply(writer, reply.Reply, 0);
                break;
            case KeyspaceDirectory directory:
                writer.Int32(directory.Keyspaces.Count);
                foreach (var keyspace in directory.Keyspaces) writer.String(Serialization.SerializedActorPath(keyspace));
                break;
            case NodeStats stats:
                WriteStats(writer, stats);
                break;
            case CacheTransaction transaction:
                WriteTransaction(writer, transaction);
                break;
            case GetKeyspaces or FlushToDisk or FlushedToDisk or GetStats:
                break;
            default:
                throw new ArgumentException($"{obj.GetType()} is not an ActorCache protocol message", nameof(obj));
        }

        return writer.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return Read(bytes, manifest);
        }
        catch (Exception ex) when (ex is not SerializationException)
        {
            // Whatever else malformed bytes provoke (a bad actor path, say) is still malformed input.
            throw new SerializationException($"malformed ActorCache message '{manifest}': {ex.Message}", ex);
        }
    }

    private object Read(byte[] bytes, string manifest)
    {
        var reader = new WireReader(bytes);
        var version = reader.Byte();
        if (version != FormatVersion) throw new SerializationException($"unknown ActorCache wire format version {version}");
        object message = manifest switch
        {
            RequestManifest => ReadRequest(ref reader),
            ReplyManifest => new CacheReply(reader.Int64(), ReadReply(ref reader, 0)),
            KeyspaceDirectoryManifest => ReadDirectory(ref reader),
            GetKeyspacesManifest => GetKeyspaces.Instance,
            FlushToDiskManifest => FlushToDisk.Instance,
            FlushedToDiskManifest => FlushedToDisk.Instance,
            GetStatsManifest => GetStats.Instance,
            NodeStatsManifest => ReadStats(ref reader),
            TransactionManifest => ReadTransaction(ref reader),
            _ => throw new SerializationException($"unknown ActorCache manifest '{manifest}'"),
        };
        reader.End();
        return message;
    }

    private static CacheRequest ReadRequest(ref WireReader reader)
    {
        var correlationId = reader.Int64();
        var database = reader.Int32();
        var arguments = new byte[reader.Count()][];
        for (var i = 0; i < arguments.Length; i++) arguments[i] = reader.Bytes() ?? throw new SerializationException("a null argument");
        return new CacheRequest(correlationId, database, arguments);
    }

    private static void WriteTransaction(WireWriter writer, CacheTransaction transaction)
    {
        writer.Int64(transaction.CorrelationId);
        writer.Int32(transaction.Database);
        writer.Int32(transaction.Commands.Length);
        foreach (var command in transaction.Commands)
        {
            writer.Int32(command.Length);
            foreach (var argument in command) writer.Bytes(argument);
        }

        writer.Int32(transaction.Conditions.Length);
        foreach (var condition in transaction.Conditions)
        {
            writer.Byte((byte)condition.Kind);
            writer.Bytes(condition.Key);
            writer.Bytes(condition.Value);
        }
    }

    private static CacheTransaction ReadTransaction(ref WireReader reader)
    {
        var correlationId = reader.Int64();
        var database = reader.Int32();
        var commands = new byte[reader.Count()][][];
        for (var i = 0; i < commands.Length; i++)
        {
            commands[i] = new byte[reader.Count()][];
            for (var j = 0; j < commands[i].Length; j++) commands[i][j] = reader.Bytes() ?? throw new SerializationException("a null argument");
        }

        var conditions = new TransactionCondition[reader.Count()];
        for (var i = 0; i < conditions.Length; i++)
        {
            var kind = (ConditionKind)reader.Byte();
            if (kind is not (ConditionKind.ValueEquals or ConditionKind.Exists or ConditionKind.NotExists)) throw new SerializationException($"unknown condition kind {(byte)kind}");
            var key = reader.Bytes() ?? throw new SerializationException("a condition without a key");
            var value = reader.Bytes();
            if ((kind == ConditionKind.ValueEquals) != (value is not null)) throw new SerializationException("a condition value does not match its kind");
            conditions[i] = new TransactionCondition(key, kind, value);
        }

        return new CacheTransaction(correlationId, database, commands, conditions);
    }

    private KeyspaceDirectory ReadDirectory(ref WireReader reader)
    {
        var keyspaces = new IActorRef[reader.Count()];
        for (var i = 0; i < keyspaces.Length; i++) keyspaces[i] = _system.Provider.ResolveActorRef(reader.String());
        return new KeyspaceDirectory(keyspaces);
    }

    private static void WriteStats(WireWriter writer, NodeStats stats)
    {
        writer.Int64(stats.MaxMemory);
        writer.Int32(stats.Databases.Count);
        foreach (var d in stats.Databases)
        {
            // Fixed order and count (DatabaseStatsFields): a new figure is a new format version.
            writer.Int64(d.KeysInMemory);
            writer.Int64(d.UsedMemory);
            writer.Int64(d.Hits);
            writer.Int64(d.Misses);
            writer.Int64(d.NegativeCacheHits);
            writer.Int64(d.DiskLoads);
            writer.Int64(d.DiskSaves);
            writer.Int64(d.DiskSaveFailures);
            writer.Int64(d.EvictedKeys);
            writer.Int64(d.DirtyKeys);
            writer.Int64(d.IoQueueLength);
            writer.Int64(d.JobsInFlight);
            writer.Int64(d.ParkedRequests);
            writer.Int64(d.NegativeCacheEntries);
        }
    }

    private static NodeStats ReadStats(ref WireReader reader)
    {
        var maxMemory = reader.Int64();
        // Each database takes a fixed number of bytes: a count the rest cannot hold is refused before anything is allocated.
        var count = reader.Count();
        if ((long)count * DatabaseStatsFields * sizeof(long) > reader.Remaining) throw new SerializationException($"invalid database count {count}");
        var databases = new DatabaseStats[count];
        for (var i = 0; i < count; i++)
        {
            databases[i] = new DatabaseStats(
                reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64(),
                reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64(), reader.Int64());
        }

        return new NodeStats(maxMemory, databases);
    }

    private enum ReplyTag : byte
    {
        Simple = 1,
        Error = 2,
        Integer = 3,
        Bulk = 4,
        Array = 5,
        Map = 6,
    }

    private static void WriteReply(WireWriter writer, RedisReply reply, int depth)
    {
        if (depth > MaxReplyDepth) throw new ArgumentException($"a reply nested deeper than {MaxReplyDepth} levels", nameof(reply));
        switch (reply)
        {
            case SimpleStringReply simple:
                writer.Byte((byte)ReplyTag.Simple);
                writer.String(simple.Value);
                break;
            case ErrorReply error:
                writer.Byte((byte)ReplyTag.Error);
                writer.String(error.Message);
                break;
            case IntegerReply integer:
                writer.Byte((byte)ReplyTag.Integer);
                writer.Int64(integer.Value);
                break;
            case BulkStringReply bulk:
                writer.Byte((byte)ReplyTag.Bulk);
                writer.Bytes(bulk.Value);
                break;
            case ArrayReply array:
                writer.Byte((byte)ReplyTag.Array);
                writer.Int32(array.Items?.Count ?? -1);
                if (array.Items is not null) foreach (var item in array.Items) WriteReply(writer, item, depth + 1);
                break;
            case MapReply map:
                writer.Byte((byte)ReplyTag.Map);
                writer.Int32(map.Entries.Count);
                foreach (var (key, value) in map.Entries)
                {
                    WriteReply(writer, key, depth + 1);
                    WriteReply(writer, value, depth + 1);
                }

                break;
            default:
                throw new ArgumentException($"{reply.GetType()} is not a reply the wire format knows", nameof(reply));
        }
    }

    private static RedisReply ReadReply(ref WireReader reader, int depth)
    {
        if (depth > MaxReplyDepth) throw new SerializationException($"a reply nested deeper than {MaxReplyDepth} levels");
        var tag = (ReplyTag)reader.Byte();
        switch (tag)
        {
            case ReplyTag.Simple:
                return new SimpleStringReply(reader.String());
            case ReplyTag.Error:
                return new ErrorReply(reader.String());
            case ReplyTag.Integer:
                return RedisReply.Integer(reader.Int64());
            case ReplyTag.Bulk:
                return RedisReply.Bulk(reader.Bytes());
            case ReplyTag.Array:
                var count = reader.Int32();
                if (count == -1) return RedisReply.NilArray;
                if (count < 0) throw new SerializationException($"invalid array length {count}");
                var items = new List<RedisReply>(Math.Min(count, 1024));
                for (var i = 0; i < count; i++) items.Add(ReadReply(ref reader, depth + 1));
                return new ArrayReply(items);
            case ReplyTag.Map:
                var entryCount = reader.Int32();
                if (entryCount < 0) throw new SerializationException($"invalid map length {entryCount}");
                var entries = new List<(RedisReply, RedisReply)>(Math.Min(entryCount, 1024));
                for (var i = 0; i < entryCount; i++) entries.Add((ReadReply(ref reader, depth + 1), ReadReply(ref reader, depth + 1)));
                return new MapReply(entries);
            default:
                throw new SerializationException($"unknown reply tag {(byte)tag}");
        }
    }
}
