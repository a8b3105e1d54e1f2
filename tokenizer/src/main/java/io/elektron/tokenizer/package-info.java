/**
 * HuggingFace-exact WordPiece tokenization for BERT and ELECTRA models.
 *
 * <p>Entry point: {@link io.elektron.tokenizer.WordPieceTokenizer} ({@code fromFolder}, {@code
 * fromVocab}, {@code fromTokenizerJson}; {@code encode}, {@code encodePair}, {@code encodeBatch},
 * {@code decode}). Results are plain records: {@link io.elektron.tokenizer.Encoding} and {@link
 * io.elektron.tokenizer.BatchEncoding}. Every loading or encoding failure is a {@link
 * io.elektron.tokenizer.TokenizerException} naming the file and the line or JSON key.
 *
 * <p>Conventions: ids are {@code int}; offsets are UTF-16 indices into the original Java string
 * ({@code text.substring(start, end)}), which equal HF's code-point offsets for text without
 * characters outside the BMP (emoji shift HF's offsets by one per preceding surrogate pair).
 */
package io.elektron.tokenizer;
