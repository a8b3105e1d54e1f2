package io.elektron.tokenizer;

/**
 * Everything that can go wrong while loading or using a tokenizer: a missing or unreadable file, a
 * vocabulary that is empty, lacks its unknown token or is not valid UTF-8, a malformed {@code
 * tokenizer.json} or config file, or an encoding request that cannot be satisfied (for example a
 * {@code maxLength} too small to hold the special tokens).
 *
 * <p>Unchecked on purpose: a broken tokenizer file is a configuration error the caller can rarely
 * recover from, and every message names the file (and the line or JSON key where one applies) so
 * the fix is obvious from the message alone.
 */
public final class TokenizerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message that names what went wrong and where. */
  public TokenizerException(String message) {
    super(message);
  }

  /** An error caused by a lower-level failure, typically an {@link java.io.IOException}. */
  public TokenizerException(String message, Throwable cause) {
    super(message, cause);
  }
}
