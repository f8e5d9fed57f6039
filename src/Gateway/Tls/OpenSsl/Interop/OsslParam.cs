using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// <c>OSSL_PARAM</c> (openssl/core.h): key, data_type, data, data_size, return_size; 40 bytes on
/// x64. Built by hand rather than through the OSSL_PARAM_construct_* functions, which return the
/// struct by value.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OsslParam
{
    /// <summary>OSSL_PARAM_UTF8_STRING (core.h).</summary>
    public const uint Utf8String = 4;

    /// <summary>OSSL_PARAM_OCTET_STRING (core.h).</summary>
    public const uint OctetString = 5;

    /// <summary>OSSL_PARAM_UNMODIFIED (params.h): ((size_t)-1).</summary>
    public static readonly nuint Unmodified = nuint.MaxValue;

    public byte* Key;
    public uint DataType;
    public void* Data;
    public nuint DataSize;
    public nuint ReturnSize;

    public static OsslParam Create(byte* key, uint type, void* data, nuint size) => new()
    {
        Key = key,
        DataType = type,
        Data = data,
        DataSize = size,
        ReturnSize = Unmodified,
    };
}
