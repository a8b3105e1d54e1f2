package io.elektron.tokenizer;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code vocab.txt}: one token per line, token {@code i} on line {@code i + 1}.
 *
 * <p>Line splitting follows Python's text mode, which HF's {@code load_vocab} uses: {@code \n},
 * {@code \r\n} and {@code \r} all end a line, only the terminator is removed (other whitespace is
 * part of the token), and a final terminator does not start an extra line. Bytes must be valid
 * UTF-8: a bad byte is reported with its line, never replaced by U+FFFD.
 */
final class VocabFileReader {
  private static final System.Logger LOG = System.getLogger(VocabFileReader.class.getName());

  private VocabFileReader() {}

  /** The lines of {@code file}, validated as a vocabulary (non-empty). */
  static List<String> readLines(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TokenizerException("vocabulary file not found: " + file);
    } catch (IOException e) {
      throw new TokenizerException(
          "cannot read vocabulary file " + file + ": " + e.getMessage(), e);
    }
    String text = decodeUtf8(bytes, file);
    List<String> lines = splitLines(text);
    if (lines.isEmpty()) {
      throw new TokenizerException(
          "vocabulary file " + file + " is empty (expected one token per line)");
    }
    warnAboutDuplicates(lines, file);
    return lines;
  }

  /** Strict UTF-8 decoding that names the line and byte offset of the first invalid sequence. */
  static String decodeUtf8(byte[] bytes, Path file) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n'
            || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
          line++;
        }
      }
      StringBuilder shown = new StringBuilder();
      for (int i = offset; i < Math.min(bytes.length, offset + Math.max(1, result.length())); i++) {
        shown.append(String.format("0x%02X ", bytes[i] & 0xFF));
      }
      throw new TokenizerException(
          file
              + " line "
              + line
              + ": invalid UTF-8 byte sequence "
              + shown.toString().trim()
              + " at byte offset "
              + offset
              + " (vocabulary files must be UTF-8)");
    }
    out.flip();
    return out.toString();
  }

  /**
   * Python universal-newline splitting: {@code \r\n}, {@code \r}, {@code \n}; no trailing empty
   * line.
   */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int length = text.length();
    int i = 0;
    while (i < length) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        i += (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < length) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static void warnAboutDuplicates(List<String> lines, Path file) {
    Map<String, Integer> firstLine = new HashMap<>(lines.size() * 2);
    int duplicates = 0;
    String example = null;
    for (int i = 0; i < lines.size(); i++) {
      Integer earlier = firstLine.putIfAbsent(lines.get(i), i + 1);
      if (earlier != null) {
        if (duplicates == 0) {
          example = "'" + lines.get(i) + "' on lines " + earlier + " and " + (i + 1);
        }
        duplicates++;
      }
    }
    if (duplicates > 0) {
      // HF accepts duplicates (the real bert-base-chinese vocab has 53), so this is only a notice.
      LOG.log(
          Level.WARNING,
          "{0}: {1} duplicated line(s), e.g. {2}; token -> id uses the last line, as HuggingFace"
              + " does",
          file,
          duplicates,
          example);
    }
  }
}
