package io.elektron.tokenizer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One parsed HF JSON file ({@code tokenizer.json}, {@code tokenizer_config.json}, ...) with typed
 * accessors whose errors name the file and the full key path, e.g. {@code tokenizer.json: key
 * 'model.vocab' is missing}.
 */
final class JsonConfigFile {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final JsonNode root;

  private JsonConfigFile(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /** Parses {@code file}; it must hold a JSON object. */
  static JsonConfigFile read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new TokenizerException("file not found: " + file);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String position =
          where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
      throw new TokenizerException(
          file + " is not valid JSON" + position + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new TokenizerException(file + ": expected a JSON object at the top level");
    }
    return new JsonConfigFile(file, root);
  }

  /** The file this was read from. */
  Path file() {
    return file;
  }

  /** The top-level object. */
  JsonNode root() {
    return root;
  }

  /**
   * The value at a dotted key path, or null when any part is absent (JSON null is returned as is).
   */
  JsonNode find(String dottedPath) {
    JsonNode node = root;
    for (String key : dottedPath.split("\\.")) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.get(key);
    }
    return node;
  }

  /** Whether the key path is present (possibly with the value null). */
  boolean has(String dottedPath) {
    return find(dottedPath) != null;
  }

  /** The value at the key path; it must be present. */
  JsonNode require(String dottedPath) {
    JsonNode node = find(dottedPath);
    if (node == null) {
      throw error(dottedPath, "is missing");
    }
    return node;
  }

  /** A JSON object at the key path; it must be present. */
  JsonNode requireObject(String dottedPath) {
    JsonNode node = require(dottedPath);
    if (!node.isObject()) {
      throw error(dottedPath, "must be an object, got " + describe(node));
    }
    return node;
  }

  /** A string at the key path; it must be present. */
  String requireString(String dottedPath) {
    JsonNode node = require(dottedPath);
    if (!node.isTextual()) {
      throw error(dottedPath, "must be a string, got " + describe(node));
    }
    return node.textValue();
  }

  /** A boolean at the key path, {@code fallback} when absent or null. */
  boolean optionalBoolean(String dottedPath, boolean fallback) {
    Boolean value = optionalNullableBoolean(dottedPath);
    return value == null ? fallback : value;
  }

  /** A boolean at the key path, or null when absent or JSON null. */
  Boolean optionalNullableBoolean(String dottedPath) {
    JsonNode node = find(dottedPath);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw error(dottedPath, "must be true, false or null, got " + describe(node));
    }
    return node.booleanValue();
  }

  /** A string at the key path, {@code fallback} when absent or null. */
  String optionalString(String dottedPath, String fallback) {
    JsonNode node = find(dottedPath);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual()) {
      throw error(dottedPath, "must be a string, got " + describe(node));
    }
    return node.textValue();
  }

  /**
   * A positive int at the key path, {@code fallback} when absent or null. Values beyond int range
   * (HF writes {@code 1000000000000000019884624838656} for "no limit") become {@link
   * Integer#MAX_VALUE}.
   */
  int optionalPositiveInt(String dottedPath, int fallback) {
    JsonNode node = find(dottedPath);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber()
        || node.asDouble() < 1
        || (node.isFloatingPointNumber() && node.asDouble() != Math.rint(node.asDouble()))) {
      throw error(dottedPath, "must be a positive integer, got " + describe(node));
    }
    return node.canConvertToInt() ? node.intValue() : Integer.MAX_VALUE;
  }

  /**
   * A token name at the key path: HF writes either a plain string or an {@code AddedToken} object
   * with a {@code content} field. Returns {@code fallback} when absent or null.
   */
  String optionalTokenName(String dottedPath, String fallback) {
    JsonNode node = find(dottedPath);
    if (node == null || node.isNull()) {
      return fallback;
    }
    return tokenName(node, dottedPath);
  }

  /** The token name of a string or {@code {"content": ...}} node found at {@code dottedPath}. */
  String tokenName(JsonNode node, String dottedPath) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isObject()) {
      JsonNode content = node.get("content");
      if (content != null && content.isTextual()) {
        return content.textValue();
      }
      throw error(
          dottedPath + ".content",
          content == null ? "is missing" : "must be a string, got " + describe(content));
    }
    throw error(
        dottedPath, "must be a token string or an object with 'content', got " + describe(node));
  }

  /** An error about the value at a key path. */
  TokenizerException error(String dottedPath, String problem) {
    return new TokenizerException(file + ": key '" + dottedPath + "' " + problem);
  }

  /** Short description of a JSON value for error messages. */
  static String describe(JsonNode node) {
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    String text = node.toString();
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
