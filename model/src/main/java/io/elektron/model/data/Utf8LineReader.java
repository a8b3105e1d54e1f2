package io.elektron.model.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Streams a file's lines with their 1-based numbers, decoding each line as strict UTF-8.
 *
 * <p>Why not {@code BufferedReader}: it either replaces invalid bytes silently (corrupting text)
 * or throws one exception for the whole stream with no line number. Decoding line by line is safe
 * because byte 0x0A never occurs inside a multi-byte UTF-8 sequence, and it lets an invalid line
 * be reported — or skipped — on its own.
 *
 * <p>{@code \n} ends a line and a {@code \r} just before it is dropped; a final line without a
 * terminator is still a line, but the empty string after a final terminator is not. A UTF-8
 * byte-order mark at the start of the file is dropped.
 */
final class Utf8LineReader implements Closeable {

  /**
   * One physical line.
   *
   * @param number 1-based line number
   * @param text the decoded line, or {@code null} when its bytes are not valid UTF-8
   * @param encodingProblem why decoding failed, or {@code null}
   */
  record Line(long number, String text, String encodingProblem) {
    boolean isValid() {
      return text != null;
    }
  }

  private static final int CHUNK_BYTES = 1 << 16;

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private int chunkPosition;
  private int chunkLimit;
  private byte[] lineBytes = new byte[256];
  private long lineNumber;
  private boolean endOfFile;

  Utf8LineReader(Path file) throws IOException {
    this.in = Files.newInputStream(file);
  }

  /** The next line, or {@code null} at end of file. */
  Line next() throws IOException {
    int length = 0;
    boolean sawAnyByte = false;
    while (true) {
      if (chunkPosition == chunkLimit) {
        if (endOfFile || !refill()) {
          if (!sawAnyByte) {
            return null;
          }
          break;
        }
      }
      sawAnyByte = true;
      byte b = chunk[chunkPosition++];
      if (b == '\n') {
        break;
      }
      if (length == lineBytes.length) {
        lineBytes = Arrays.copyOf(lineBytes, lineBytes.length * 2);
      }
      lineBytes[length++] = b;
    }
    lineNumber++;
    if (length > 0 && lineBytes[length - 1] == '\r') {
      length--;
    }
    int start = 0;
    if (lineNumber == 1 && length >= 3 && (lineBytes[0] & 0xff) == 0xEF
        && (lineBytes[1] & 0xff) == 0xBB && (lineBytes[2] & 0xff) == 0xBF) {
      start = 3;
    }
    return decode(start, length);
  }

  private boolean refill() throws IOException {
    int read = in.read(chunk, 0, chunk.length);
    if (read <= 0) {
      endOfFile = true;
      return false;
    }
    chunkPosition = 0;
    chunkLimit = read;
    return true;
  }

  private Line decode(int start, int end) {
    ByteBuffer bytes = ByteBuffer.wrap(lineBytes, start, end - start);
    // UTF-8 never decodes to more chars than it has bytes.
    CharBuffer chars = CharBuffer.allocate(end - start);
    decoder.reset();
    CoderResult result = decoder.decode(bytes, chars, true);
    if (!result.isError()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      int badByte = bytes.position() - start;
      return new Line(lineNumber, null, String.format(
          "invalid UTF-8: byte 0x%02X at byte %d of the line (the file must be UTF-8 encoded)",
          lineBytes[bytes.position()] & 0xff, badByte + 1));
    }
    chars.flip();
    return new Line(lineNumber, chars.toString(), null);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
