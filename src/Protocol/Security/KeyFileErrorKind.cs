namespace Chat.Protocol.Security;

/// <summary>Why a key file could not be read or written.</summary>
public enum KeyFileErrorKind
{
    /// <summary>The file could not be read (missing, no permission, I/O error).</summary>
    Unreadable,

    /// <summary>The file could not be written (missing folder, no permission, I/O error).</summary>
    Unwritable,

    /// <summary>The file exists and overwriting was not asked for.</summary>
    AlreadyExists,

    /// <summary>The file holds no key.</summary>
    NoKeys,

    /// <summary>A line is not "&lt;keyId&gt; &lt;base64url secret&gt;".</summary>
    BadLine,

    /// <summary>A key id is not 1-64 characters of [A-Za-z0-9_-].</summary>
    BadKeyId,

    /// <summary>A secret is not base64url.</summary>
    BadSecret,

    /// <summary>A secret is shorter than 32 bytes (or longer than 1024).</summary>
    BadSecretLength,

    /// <summary>Two keys share an id.</summary>
    DuplicateKeyId,
}
