using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Shop.Tests.Architecture;

/// <summary>
/// Each service's folders (Shop.X.Apis, .Services, .Infrastructure, …) form no cycle, and nothing below the
/// entry points depends on Apis (request and response contracts live beside the API that owns them). Read from the
/// compiled assemblies (signatures and method bodies), so a fully qualified name or a lambda counts too. A type counts
/// in the folder its namespace names, so every namespace matches its folder (the storefront's generated clients,
/// Shop.WebApp.Clients.*, belong to Clients/ with the ApiException they share).
/// </summary>
public sealed class FolderDependencyTests
{
    public static TheoryData<string> Services =>
        ["Shop.UserApi", "Shop.ProductApi", "Shop.OrderApi", "Shop.Notifier", "Shop.BasketApi", "Shop.Gateway", "Shop.WebApp"];

    [Theory]
    [MemberData(nameof(Services))]
    public void Folders_form_no_cycle(string service)
    {
        var graph = FolderGraph.Read(service);

        var cycle = FindCycle(graph.Edges.Keys.Select(e => e.From).Distinct(), graph);

        Assert.True(cycle is null, cycle is null ? "" :
            $"{service} has a folder cycle {string.Join(" → ", cycle)}: " +
            string.Join("; ", cycle.Zip(cycle.Skip(1)).Select(step => $"{step.First}→{step.Second} via {graph.Edges[(step.First, step.Second)]}")));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Nothing_but_the_entry_points_depends_on_Apis(string service)
    {
        var graph = FolderGraph.Read(service);

        var intoApis = graph.Edges.Where(e => e.Key.To == "Apis" && e.Key.From is not "Extensions").ToList();

        Assert.True(intoApis.Count == 0, string.Join("; ", intoApis.Select(e => $"{e.Key.From}→Apis via {e.Value}")));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_namespace_names_its_folder(string service)
    {
        var project = Path.Combine(FolderGraph.RepositoryRoot(), service);

        var wrong = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(file => (File: Path.GetRelativePath(project, file), Namespace: DeclaredNamespace(file)))
            .Where(f => f.File.Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj"))
            .Select(f => (f.File, f.Namespace, Expected: string.Join(".", f.File.Split(Path.DirectorySeparatorChar)[..^1].Prepend(service))))
            .Where(f => (f.Namespace ?? service) != f.Expected)
            .ToList();

        Assert.True(wrong.Count == 0, string.Join("; ", wrong.Select(f => $"{f.File} declares {f.Namespace}, its folder is {f.Expected}")));
    }

    private static string? DeclaredNamespace(string file) =>
        Regex.Match(File.ReadAllText(file), @"^namespace\s+([\w.]+)", RegexOptions.Multiline) is { Success: true } match ? match.Groups[1].Value : null;

    private static List<string>? FindCycle(IEnumerable<string> folders, FolderGraph graph)
    {
        var done = new HashSet<string>();
        foreach (var start in folders)
        {
            var path = new List<string>();
            if (Visit(start, path, done, graph) is { } cycle) return cycle;
        }
        return null;
    }

    private static List<string>? Visit(string folder, List<string> path, HashSet<string> done, FolderGraph graph)
    {
        if (path.IndexOf(folder) is >= 0 and var at) return [.. path[at..], folder];
        if (!done.Add(folder)) return null;
        path.Add(folder);
        foreach (var next in graph.Edges.Keys.Where(e => e.From == folder).Select(e => e.To))
        {
            if (Visit(next, path, done, graph) is { } cycle) return cycle;
        }
        path.RemoveAt(path.Count - 1);
        return null;
    }
}

/// <summary>Folder → folder edges of one service assembly, each with one type-level example ("OrderCreator uses CreateOrderRequest").</summary>
internal sealed class FolderGraph
{
    public Dictionary<(string From, string To), string> Edges { get; } = [];

    public static FolderGraph Read(string assemblyName)
    {
        using var stream = File.OpenRead(AssemblyPath(assemblyName));
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var graph = new FolderGraph();
        var provider = new TypeDefinitionCollector(reader);

        foreach (var handle in reader.TypeDefinitions)
        {
            var owner = Outermost(reader, handle);
            if (Folder(reader, assemblyName, owner) is not { } from) continue;
            foreach (var used in References(reader, pe, provider, handle))
            {
                var target = Outermost(reader, used);
                if (Folder(reader, assemblyName, target) is { } to && to != from)
                {
                    graph.Edges.TryAdd((from, to), $"{Name(reader, owner)} uses {Name(reader, target)}");
                }
            }
        }
        return graph;
    }

    private static IEnumerable<TypeDefinitionHandle> References(MetadataReader reader, PEReader pe, TypeDefinitionCollector provider, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        foreach (var t in provider.FromHandle(type.BaseType)) yield return t;
        foreach (var i in type.GetInterfaceImplementations())
        {
            foreach (var t in provider.FromHandle(reader.GetInterfaceImplementation(i).Interface)) yield return t;
        }
        foreach (var f in type.GetFields())
        {
            foreach (var t in reader.GetFieldDefinition(f).DecodeSignature(provider, null)) yield return t;
        }
        foreach (var m in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(m);
            var signature = method.DecodeSignature(provider, null);
            foreach (var t in signature.ParameterTypes.Append(signature.ReturnType).SelectMany(x => x)) yield return t;
            if (method.RelativeVirtualAddress == 0) continue;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                foreach (var t in reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null).SelectMany(x => x)) yield return t;
            }
            foreach (var token in IlTokens(body.GetILBytes()!))
            {
                foreach (var t in provider.FromHandle(MetadataTokens.EntityHandle(token))) yield return t;
            }
        }
    }

    private static readonly Dictionary<short, OperandType> OpCodeOperands = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>The metadata tokens a method body names (types, methods, fields), skipping every other operand.</summary>
    private static IEnumerable<int> IlTokens(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var operand = OpCodeOperands[value];
            switch (operand)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    yield return BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }

    private static TypeDefinitionHandle Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        while (reader.GetTypeDefinition(handle).GetDeclaringType() is { IsNil: false } outer) handle = outer;
        return handle;
    }

    /// <summary>"Apis" for Shop.OrderApi.Apis.OrdersApi; null outside the service's own folders.</summary>
    private static string? Folder(MetadataReader reader, string assemblyName, TypeDefinitionHandle handle)
    {
        var ns = reader.GetString(reader.GetTypeDefinition(handle).Namespace);
        return ns.StartsWith(assemblyName + ".", StringComparison.Ordinal) ? ns[(assemblyName.Length + 1)..].Split('.')[0] : null;
    }

    private static string Name(MetadataReader reader, TypeDefinitionHandle handle) => reader.GetString(reader.GetTypeDefinition(handle).Name);

    /// <summary>The service's build output beside this test assembly's (same configuration and framework).</summary>
    public static string AssemblyPath(string assemblyName)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), assemblyName, "bin", configuration, framework, assemblyName + ".dll");
        Assert.True(File.Exists(path), $"{path} is not built");
        return path;
    }

    /// <summary>The folder of Shop.sln above this test assembly.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Shop.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Collects the type definitions of this assembly that a signature or token names.</summary>
    private sealed class TypeDefinitionCollector(MetadataReader reader) : ISignatureTypeProvider<IEnumerable<TypeDefinitionHandle>, object?>
    {
        private static readonly IEnumerable<TypeDefinitionHandle> None = [];

        public IEnumerable<TypeDefinitionHandle> FromHandle(EntityHandle handle)
        {
            if (handle.IsNil) return None;
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [(TypeDefinitionHandle)handle];
                case HandleKind.TypeSpecification:
                    return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.MethodDefinition:
                    return [reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()];
                case HandleKind.FieldDefinition:
                    return [reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()];
                case HandleKind.MemberReference:
                    return FromHandle(reader.GetMemberReference((MemberReferenceHandle)handle).Parent);
                case HandleKind.MethodSpecification:
                    var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return FromHandle(spec.Method).Concat(spec.DecodeSignature(this, null).SelectMany(t => t));
                default:
                    return None;
            }
        }

        public IEnumerable<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];
        public IEnumerable<TypeDefinitionHandle> GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) => None;
        public IEnumerable<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            FromHandle(handle);
        public IEnumerable<TypeDefinitionHandle> GetGenericInstantiation(IEnumerable<TypeDefinitionHandle> genericType, ImmutableArray<IEnumerable<TypeDefinitionHandle>> typeArguments) =>
            genericType.Concat(typeArguments.SelectMany(t => t));
        public IEnumerable<TypeDefinitionHandle> GetArrayType(IEnumerable<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;
        public IEnumerable<TypeDefinitionHandle> GetSZArrayType(IEnumerable<TypeDefinitionHandle> elementType) => elementType;
        public IEnumerable<TypeDefinitionHandle> GetByReferenceType(IEnumerable<TypeDefinitionHandle> elementType) => elementType;
        public IEnumerable<TypeDefinitionHandle> GetPointerType(IEnumerable<TypeDefinitionHandle> elementType) => elementType;
        public IEnumerable<TypeDefinitionHandle> GetPinnedType(IEnumerable<TypeDefinitionHandle> elementType) => elementType;
        public IEnumerable<TypeDefinitionHandle> GetModifiedType(IEnumerable<TypeDefinitionHandle> modifier, IEnumerable<TypeDefinitionHandle> unmodifiedType, bool isRequired) => unmodifiedType;
        public IEnumerable<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<IEnumerable<TypeDefinitionHandle>> signature) =>
            signature.ParameterTypes.Append(signature.ReturnType).SelectMany(t => t);
        public IEnumerable<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => None;
        public IEnumerable<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => None;
        public IEnumerable<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;
    }
}
