/**
 * Reading multi-label text datasets into {@link io.elektron.model.data.Dataset}s of {@link
 * io.elektron.model.data.Example}s.
 *
 * <p>{@link io.elektron.model.data.DatasetReader#read} picks the format by extension:
 *
 * <ul>
 *   <li>{@code .tsv} — GoEmotions style, no header: {@code text<TAB>label ids<TAB>id}, label ids
 *       comma separated; names from a labels file (one name per line, line index = id).
 *   <li>{@code .csv} — RFC 4180 with a header: a text column, optional text-pair and id columns,
 *       and one 0/1 column per label.
 *   <li>{@code .jsonl} / {@code .ndjson} — one JSON object per line with {@code text}, optional
 *       {@code text_pair}, {@code id}, {@code labels} (names or ids), or pre-tokenized {@code
 *       input_ids} (+ optional {@code attention_mask}, {@code token_type_ids}).
 *   <li>{@code .txt} — one text per line, no labels (for prediction).
 * </ul>
 *
 * <p>Common rules: files must be UTF-8 (a leading byte-order mark is dropped; {@code \r\n} and
 * {@code \n} both end a line). Line numbers are 1-based physical lines. Empty texts are kept. Blank
 * lines are skipped and counted in {@code .tsv}, {@code .csv} and {@code .jsonl}, but are empty
 * texts in {@code .txt}. Bad data raises {@link io.elektron.model.data.DataFormatException} naming
 * the file, the line and what was expected, unless {@link
 * io.elektron.model.data.ReadOptions#skipBadLines()} is set: then bad lines are skipped, counted and
 * described in the {@link io.elektron.model.data.ReadSummary}. Problems with the file as a whole (a
 * bad CSV header, a missing labels file, an unknown extension) always fail.
 */
package io.elektron.model.data;
