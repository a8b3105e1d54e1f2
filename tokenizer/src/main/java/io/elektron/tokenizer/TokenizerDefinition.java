package io.elektron.tokenizer;

/** What the file readers produce: a vocabulary and the settings to tokenize with it. */
record TokenizerDefinition(Vocabulary vocabulary, TokenizerOptions options) {}
