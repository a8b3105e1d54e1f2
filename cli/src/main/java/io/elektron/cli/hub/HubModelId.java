package io.elektron.cli.hub;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model on the HF hub as written on a command line: {@code org/name} or {@code name}, optionally followed by
 * {@code @revision} (a branch, a tag, {@code refs/pr/N} or a commit hash; {@code main} when absent).
 */
public record HubModelId(String repoId, String revision) {
    public static final String DEFAULT_REVISION = "main";

    // The hub's own rule (huggingface_hub validate_repo_id): word characters, '-' and '.', starting and ending with a
    // word character, at most 96 per part; "--" and ".." are refused because the cache folder name joins parts with "--".
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?");
    // The revision becomes a path under refs/ in the cache, so each of its segments must be a plain name.
    private static final Pattern REVISION_SEGMENT = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public HubModelId {
        if (!isRepoId(repoId)) throw new IllegalArgumentException("not a hub model id: " + repoId);
        if (!isRevision(revision)) throw new IllegalArgumentException("not a revision: " + revision);
    }

    /** {@code org/name[@revision]} or {@code name[@revision]}; empty when the text cannot be a hub id. */
    public static Optional<HubModelId> parse(String text) {
        int at = text.indexOf('@');
        String repo = at < 0 ? text : text.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : text.substring(at + 1);
        if (!isRepoId(repo) || !isRevision(revision)) return Optional.empty();
        return Optional.of(new HubModelId(repo, revision));
    }

    /** The repository's folder in the cache: {@code models--org--name}. */
    public String cacheFolderName() {
        return "models--" + repoId.replace("/", "--");
    }

    /** A full commit hash needs no refs/ lookup: its snapshot folder has that name. */
    public boolean revisionIsCommit() {
        return isCommit(revision);
    }

    static boolean isCommit(String s) {
        return s != null && COMMIT.matcher(s).matches();
    }

    @Override
    public String toString() {
        return DEFAULT_REVISION.equals(revision) ? repoId : repoId + "@" + revision;
    }

    private static boolean isRepoId(String s) {
        if (s == null || s.contains("--") || s.contains("..") || s.endsWith(".git")) return false;
        String[] parts = s.split("/", -1);
        if (parts.length > 2) return false;
        for (String p : parts) if (!PART.matcher(p).matches()) return false;
        return true;
    }

    private static boolean isRevision(String s) {
        if (s == null || s.isEmpty()) return false;
        for (String seg : s.split("/", -1)) {
            if (seg.equals(".") || seg.equals("..") || !REVISION_SEGMENT.matcher(seg).matches()) return false;
        }
        return true;
    }
}
