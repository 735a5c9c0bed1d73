package dev.aims.logging.cli;

import dev.aims.logging.EvidenceReport;
import dev.aims.logging.LogVerifier;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.VerificationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code aims} command line.
 *
 * <pre>
 * aims verify &lt;log-dir-or-file&gt; [--public-key &lt;file&gt;] [--checkpoints &lt;file&gt;]
 * aims report &lt;log-dir&gt; [--public-key &lt;file&gt;] [--format markdown|html]
 * aims keygen &lt;private-key-file&gt; &lt;public-key-file&gt;
 * </pre>
 *
 * Exit codes: 0 intact (or done), 1 tampered or broken, 2 usage or I/O error.
 */
public final class AimsCommand {
  static final String USAGE = String.join("\n",
      "usage: aims verify <log-dir-or-file> [--public-key <file>] [--checkpoints <file>]",
      "       aims report <log-dir> [--public-key <file>] [--format markdown|html]",
      "       aims keygen <private-key-file> <public-key-file>");

  private AimsCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    try {
      return switch (args[0]) {
        case "verify" -> verify(parse(args, List.of("--public-key", "--checkpoints")), out);
        case "report" -> report(parse(args, List.of("--public-key", "--format")), out);
        case "keygen" -> keygen(args, out);
        case "help", "--help", "-h" -> {
          out.println(USAGE);
          yield 0;
        }
        default -> throw new UsageException("unknown command '" + args[0] + "'");
      };
    } catch (UsageException e) {
      err.println("aims: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("aims: " + e.getMessage());
      return 2;
    }
  }

  private static int verify(Args a, PrintStream out) throws IOException {
    Path published = a.option("--checkpoints") == null ? null : existing(a.option("--checkpoints"));
    VerificationReport r = LogVerifier.verify(existing(a.target), publicKey(a), published);
    if (r.intact()) {
      out.println("intact: " + r.records() + " records, " + r.checkpoints() + " checkpoints, seq " + r.firstSeq()
          + ".." + r.lastSeq() + ", " + r.bytes() + " bytes, " + r.firstTs() + " .. " + r.lastTs());
    } else {
      out.println("BROKEN at seq " + r.problem().seq() + ": " + r.problem());
    }
    for (String note : r.notes()) {
      out.println("note: " + note);
    }
    return r.intact() ? 0 : 1;
  }

  private static int report(Args a, PrintStream out) throws IOException {
    String format = a.option("--format") == null ? "markdown" : a.option("--format");
    if (!format.equals("markdown") && !format.equals("html")) {
      throw new UsageException("--format must be markdown or html but was '" + format + "'");
    }
    EvidenceReport report = EvidenceReport.of(existing(a.target), publicKey(a));
    out.print(format.equals("html") ? report.html() : report.markdown());
    return report.verification().intact() ? 0 : 1;
  }

  private static int keygen(String[] args, PrintStream out) throws IOException {
    if (args.length != 3) {
      throw new UsageException("keygen takes a private and a public key file");
    }
    Path priv = Path.of(args[1]);
    Path pub = Path.of(args[2]);
    for (Path p : List.of(priv, pub)) {
      if (Files.exists(p)) {
        throw new UsageException(p + " exists; refusing to overwrite a key");
      }
    }
    KeyPair keys = SigningKeys.generate();
    SigningKeys.writePrivate(priv, keys.getPrivate());
    SigningKeys.writePublic(pub, keys.getPublic());
    out.println("wrote " + priv + " and " + pub + " (key id " + SigningKeys.keyId(keys.getPublic()) + ")");
    return 0;
  }

  private static @Nullable PublicKey publicKey(Args a) throws IOException {
    String file = a.option("--public-key");
    return file == null ? null : SigningKeys.readPublic(existing(file));
  }

  private static Path existing(String path) throws IOException {
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw new IOException(path + ": no such file or directory");
    }
    return p;
  }

  private record Args(String target, List<String> options) {
    @Nullable String option(String name) {
      for (int i = 0; i < options.size(); i += 2) {
        if (options.get(i).equals(name)) {
          return options.get(i + 1);
        }
      }
      return null;
    }
  }

  private static Args parse(String[] args, List<String> allowed) {
    String target = null;
    List<String> options = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        if (!allowed.contains(a)) {
          throw new UsageException("unknown option " + a + " for " + args[0]);
        }
        if (i + 1 >= args.length) {
          throw new UsageException(a + " needs a value");
        }
        options.add(a);
        options.add(args[++i]);
      } else if (target == null) {
        target = a;
      } else {
        throw new UsageException("unexpected argument '" + a + "'");
      }
    }
    if (target == null) {
      throw new UsageException(args[0] + " needs a log directory or file");
    }
    return new Args(target, options);
  }

  private static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
