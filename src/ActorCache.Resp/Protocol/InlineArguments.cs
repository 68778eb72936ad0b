namespace ActorCache.Resp.Protocol;

// Splits an inline request line the way Redis's sdssplitargs does, so a telnet user or a script sees what Redis does:
// blanks separate words, "double quotes" take \n \r \t \b \a \xHH and \<any> escapes, 'single quotes' take only \',
// a closing quote must be followed by a blank or the end, and the line ends at a NUL byte (a C string in Redis).
internal static class InlineArguments
{
    // Null when the quotes are unbalanced; an empty array for a blank line.
    public static byte[][]? Split(ReadOnlySpan<byte> line)
    {
        var nul = line.IndexOf((byte)0);
        if (nul >= 0) line = line[..nul];

        var count = 0;
        var position = SkipBlanks(line, 0);
        while (position < line.Length)
        {
            if (Token(line, ref position, default, write: false) < 0) return null;
            count++;
            position = SkipBlanks(line, position);
        }

        var arguments = count == 0 ? [] : new byte[count][];
        position = SkipBlanks(line, 0);
        for (var i = 0; i < count; i++)
        {
            var start = position;
            var length = Token(line, ref position, default, write: false);
            var argument = length == 0 ? [] : new byte[length];
            position = start;
            Token(line, ref position, argument, write: true);
            arguments[i] = argument;
            position = SkipBlanks(line, position);
        }
        return arguments;
    }

    private static int SkipBlanks(ReadOnlySpan<byte> line, int position)
    {
        while (position < line.Length && IsSpace(line[position])) position++;
        return position;
    }

    // C's isspace in the C locale.
    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // Reads one word from position (a non-blank), returning its decoded length or -1 for unbalanced quotes; Redis's C
    // loop reads past the end as NUL, which At mirrors.
    private static int Token(ReadOnlySpan<byte> line, ref int position, Span<byte> into, bool write)
    {
        var inDouble = false;
        var inSingle = false;
        var length = 0;
        var p = position;
        var done = false;
        while (!done)
        {
            var c = At(line, p);
            var emit = -1;
            if (inDouble)
            {
                if (c == '\\' && At(line, p + 1) == 'x' && IsHex(At(line, p + 2)) && IsHex(At(line, p + 3)))
                {
                    emit = HexValue(At(line, p + 2)) * 16 + HexValue(At(line, p + 3));
                    p += 3;
                }
                else if (c == '\\' && At(line, p + 1) != 0)
                {
                    p++;
                    emit = At(line, p) switch
                    {
                        (byte)'n' => '\n',
                        (byte)'r' => '\r',
                        (byte)'t' => '\t',
                        (byte)'b' => '\b',
                        (byte)'a' => '\a',
                        var other => other,
                    };
                }
                else if (c == '"')
                {
                    if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1))) return -1;
                    done = true;
                }
                else if (c == 0)
                {
                    return -1;
                }
                else
                {
                    emit = c;
                }
            }
            else if (inSingle)
            {
                if (c == '\\' && At(line, p + 1) == '\'')
                {
                    p++;
                    emit = '\'';
                }
                else if (c == '\'')
                {
                    if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1))) return -1;
                    done = true;
                }
                else if (c == 0)
                {
                    return -1;
                }
                else
                {
                    emit = c;
                }
            }
            else
            {
                switch (c)
                {
                    case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0:
                        done = true;
                        break;
                    case (byte)'"':
                        inDouble = true;
                        break;
                    case (byte)'\'':
                        inSingle = true;
                        break;
                    default:
                        emit = c;
                        break;
                }
            }

            if (emit >= 0)
            {
                if (write) into[length] = (byte)emit;
                length++;
            }
            if (At(line, p) != 0) p++;
        }
        position = p;
        return length;
    }

    private static byte At(ReadOnlySpan<byte> line, int index) => index < line.Length ? line[index] : (byte)0;
}
