package io.elektron.model.inspect;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page of token attributions: per explained label, the tokens on a background whose colour says
 * which way they push the label (red up, blue down) and whose strength is |score| / max |score| of that label. Hovering
 * a token shows its score.
 */
public final class AttributionHtml {
    private AttributionHtml() {
    }

    public static String render(String title, List<String> tokens, List<TokenAttribution> attributions) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body { font-family: sans-serif; margin: 2em; max-width: 60em; color: #222; }\n")
                .append(".tokens { line-height: 2.4; font-family: monospace; font-size: 1.1em; }\n")
                .append(".tok { padding: 0.2em 0.25em; margin: 0 0.05em; border-radius: 0.25em; }\n")
                .append(".legend { color: #666; font-size: 0.9em; }\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n")
                .append("<p class=\"legend\">Gradient &times; input on the word-embedding output: "
                        + "<span class=\"tok\" style=\"background: rgba(214, 39, 40, 0.6)\">red</span> pushes the label up, "
                        + "<span class=\"tok\" style=\"background: rgba(31, 119, 180, 0.6)\">blue</span> pushes it down; "
                        + "colour strength is |score| relative to the label's largest.</p>\n");
        if (attributions.isEmpty()) sb.append("<p>No attributions (the model has no classification head).</p>\n");
        for (TokenAttribution a : attributions) {
            sb.append("<h2>").append(escape(a.label())).append(String.format(Locale.ROOT, " <small>p = %.3f</small>", a.probability()))
                    .append("</h2>\n<div class=\"tokens\">");
            float max = a.maxAbs();
            for (int i = 0; i < tokens.size(); i++) {
                float s = a.scores()[i];
                double alpha = max == 0 ? 0 : Math.min(1, Math.abs(s) / max) * 0.85;
                String rgb = s >= 0 ? "214, 39, 40" : "31, 119, 180";
                sb.append(String.format(Locale.ROOT, "<span class=\"tok\" title=\"%+.4f\" style=\"background: rgba(%s, %.3f)\">",
                        s, rgb, alpha)).append(escape(tokens.get(i))).append("</span> ");
            }
            sb.append("</div>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
