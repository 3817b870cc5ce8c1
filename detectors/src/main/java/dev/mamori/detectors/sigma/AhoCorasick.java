package dev.mamori.detectors.sigma;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Finds which of many literals occur in a text in one pass (Aho-Corasick): the text is
 * {@linkplain Fold folded} as it is read, so the literals, given in folded form, are found
 * case-insensitively. Immutable once built; thread-safe.
 */
final class AhoCorasick {

    /** Transitions of a node, sorted by character (the root's are also in {@link #root}). */
    private final char[][] keys;

    private final int[][] targets;
    private final int[] fail;
    /** The patterns ending at a node. */
    private final int[][] outputs;
    /** The nearest node on the failure chain with outputs, or -1. */
    private final int[] dictionary;

    private final int[] root = new int[128];

    AhoCorasick(List<String> patterns) {
        List<TreeMap<Character, Integer>> trie = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        trie.add(new TreeMap<>());
        out.add(new ArrayList<>());
        for (int p = 0; p < patterns.size(); p++) {
            String s = patterns.get(p);
            int node = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                Integer next = trie.get(node).get(c);
                if (next == null) {
                    next = trie.size();
                    trie.add(new TreeMap<>());
                    out.add(new ArrayList<>());
                    trie.get(node).put(c, next);
                }
                node = next;
            }
            out.get(node).add(p);
        }
        int n = trie.size();
        keys = new char[n][];
        targets = new int[n][];
        fail = new int[n];
        outputs = new int[n][];
        dictionary = new int[n];
        for (int i = 0; i < n; i++) {
            TreeMap<Character, Integer> t = trie.get(i);
            keys[i] = new char[t.size()];
            targets[i] = new int[t.size()];
            int k = 0;
            for (var e : t.entrySet()) {
                keys[i][k] = e.getKey();
                targets[i][k++] = e.getValue();
            }
            outputs[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        for (int k = 0; k < keys[0].length; k++) {
            if (keys[0][k] < 128) {
                root[keys[0][k]] = targets[0][k];
            }
        }
        // breadth first, so a node's failure target is settled before its children's
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        dictionary[0] = -1;
        for (int child : targets[0]) {
            fail[child] = 0;
            dictionary[child] = -1;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (int k = 0; k < keys[node].length; k++) {
                char c = keys[node][k];
                int child = targets[node][k];
                int f = fail[node];
                while (f != 0 && next(f, c) < 0) {
                    f = fail[f];
                }
                int to = f == 0 ? fromRoot(c) : next(f, c);
                fail[child] = to == child ? 0 : to;
                int ff = fail[child];
                dictionary[child] = outputs[ff].length > 0 ? ff : dictionary[ff];
                queue.add(child);
            }
        }
    }

    /** The root's transition on {@code c}, or the root itself. */
    private int fromRoot(char c) {
        if (c < 128) {
            return root[c];
        }
        int to = next(0, c);
        return to < 0 ? 0 : to;
    }

    private int next(int node, char c) {
        int i = Arrays.binarySearch(keys[node], c);
        return i < 0 ? -1 : targets[node][i];
    }

    /** Calls {@code found} with the index of every pattern occurring in {@code text} (repeats possible). */
    void scan(String text, IntConsumer found) {
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = Fold.fold(text.charAt(i));
            while (state != 0) {
                int to = next(state, c);
                if (to >= 0) {
                    state = to;
                    break;
                }
                state = fail[state];
            }
            if (state == 0) {
                state = fromRoot(c);
            }
            for (int s = outputs[state].length > 0 ? state : dictionary[state]; s > 0; s = dictionary[s]) {
                for (int p : outputs[s]) {
                    found.accept(p);
                }
            }
        }
    }
}
