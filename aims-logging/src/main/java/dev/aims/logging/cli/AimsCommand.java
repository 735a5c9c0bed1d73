package dev.aims.logging.cli;

import dev.aims.logging.LogVerifier;
import dev.aims.logging.PostgresDecisionLog;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.VerificationReport;
import dev.aims.logging.report.CompliancePack;
import dev.aims.logging.report.ControlMapping;
import dev.aims.logging.report.EvidenceReport;
import dev.aims.logging.report.ReportPeriod;
import dev.aims.logging.report.SystemCards;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The {@code aims} command line.
 *
 * <pre>
 * aims verify &lt;log-dir-or-file&gt; [--public-key &lt;file&gt;] [--checkpoints &lt;file&gt;]
 * aims verify --jdbc &lt;url&gt; --stream &lt;id&gt; [--table &lt;name&gt;] [--user &lt;u&gt; --password-env &lt;VAR&gt;]
 *             [--public-key &lt;file&gt;]
 * aims report &lt;log-dir&gt; [--public-key &lt;file&gt;] [--checkpoints &lt;file&gt;] [--format markdown|html|json]
 *             [--from &lt;instant-or-date&gt;] [--to &lt;instant-or-date&gt;] [--framework iso42001|eu-ai-act]
 * aims help | aims &lt;command&gt; --help
 * aims keygen &lt;private-key-file&gt; &lt;public-key-file&gt;
 * </pre>
 *
 * Exit codes: 0 verified (or, without a key, chain consistent but not authenticated) or done, 1
 * tampered or broken, 2 not a decision log, usage or I/O error. The first line of {@code verify}
 * is {@link VerificationReport#headline()}, then {@code anchors:} and {@code note:} lines.
 */
public final class AimsCommand {
  static final String VERIFY_USAGE = String.join("\n",
      "usage: aims verify <log-dir-or-file> [--public-key <file>] [--checkpoints <file>]...",
      "       aims verify --jdbc <url> --stream <id> [--table <name>] [--user <u> --password-env <VAR>]",
      "                   [--public-key <file>]",
      "",
      "Checks every line (hash, chain, canonical form, UTF-8, stream, ts) and every checkpoint.",
      "  --public-key <file>   the writer's Ed25519 public key: checkpoint signatures are checked and every",
      "                        record must be covered by a signed checkpoint (but the tail the last one allows);",
      "                        without it nothing is authenticated",
      "  --checkpoints <file>  checkpoints published elsewhere (FileCheckpointPublisher): each must be in the",
      "                        log identically, so cutting records off the end is detected; may be repeated",
      "exit: 0 VERIFIED (or NOT AUTHENTICATED without a key), 1 BROKEN, 2 NOT A LOG, usage or I/O error");
  static final String REPORT_USAGE = String.join("\n",
      "usage: aims report <log-dir> [--public-key <file>] [--checkpoints <file>]... [--format markdown|html|json]",
      "                   [--from <instant-or-date>] [--to <instant-or-date>] [--framework iso42001|eu-ai-act]",
      "",
      "An evidence report built from the verified records of the log, in the same pass as verify.",
      "  --framework <id>      instead, a statement of applicability: each control or article, what AIMS",
      "                        provides, its status and the verified records that evidence it (json needs it)",
      "  --from, --to          count records from (inclusive) / to (exclusive): an RFC 3339 instant or a",
      "                        date (a UTC day; as --to the whole day is included)",
      "exit: 0 report written and the log verified, 1 the log did not verify, 2 usage or I/O error");
  static final String REGISTER_USAGE = String.join("\n",
      "usage: aims register export <log-dir> [--public-key <file>] [--checkpoints <file>]... [--system <id>]",
      "                            [--format markdown|json]",
      "",
      "Writes each AI system's register entry (its system card) as the verified log last recorded it.",
      "exit: 0 written and the log verified, 1 the log did not verify, 2 usage or I/O error");
  static final String KEYGEN_USAGE = String.join("\n",
      "usage: aims keygen <private-key-file> <public-key-file>",
      "",
      "Writes a new Ed25519 key pair for signing checkpoints; never overwrites a file.");
  static final String USAGE = String.join("\n",
      "usage: aims verify <log-dir-or-file> [--public-key <file>] [--checkpoints <file>]...",
      "       aims verify --jdbc <url> --stream <id> [--table <name>] [--user <u> --password-env <VAR>]",
      "                   [--public-key <file>]",
      "       aims report <log-dir> [--public-key <file>] [--checkpoints <file>]... [--format markdown|html|json]",
      "                   [--from <instant-or-date>] [--to <instant-or-date>] [--framework iso42001|eu-ai-act]",
      "       aims register export <log-dir> [--public-key <file>] [--system <id>] [--format markdown|json]",
      "       aims keygen <private-key-file> <public-key-file>",
      "       aims help | aims <command> --help");

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
    if (args[0].equals("help") || java.util.Arrays.stream(args).anyMatch(AimsCommand::isHelp)) {
      String command = args[0].equals("help") || isHelp(args[0]) ? (args.length >= 2 ? args[1] : "") : args[0];
      out.println(switch (command) {
        case "verify" -> VERIFY_USAGE;
        case "report" -> REPORT_USAGE;
        case "register" -> REGISTER_USAGE;
        case "keygen" -> KEYGEN_USAGE;
        default -> USAGE;
      });
      return 0;
    }
    try {
      return switch (args[0]) {
        case "verify" -> verify(parse(args, List.of("--public-key", "--checkpoints", "--jdbc", "--stream", "--table",
            "--user", "--password-env")), out);
        case "report" -> report(parse(args, List.of("--public-key", "--checkpoints", "--format", "--from", "--to",
            "--framework")),
            out);
        case "register" -> registerExport(args, out);
        case "keygen" -> keygen(args, out);
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
    VerificationReport r;
    if (a.option("--jdbc") != null) {
      r = verifyPostgres(a);
    } else {
      for (String postgresOnly : List.of("--stream", "--table", "--user", "--password-env")) {
        if (a.option(postgresOnly) != null) {
          throw new UsageException(postgresOnly + " goes with --jdbc (verifying a PostgreSQL stream)");
        }
      }
      if (a.target == null) {
        throw new UsageException("verify needs a log directory or file, or --jdbc <url> --stream <id>");
      }
      r = LogVerifier.verify(options(a));
    }
    out.println(r.headline());
    for (String anchor : r.anchors()) {
      out.println("anchors: " + anchor);
    }
    for (String note : r.notes()) {
      out.println("note: " + note);
    }
    return exitCode(r);
  }

  private static int exitCode(VerificationReport r) {
    return switch (r.status()) {
      case VERIFIED, UNAUTHENTICATED -> 0;
      case BROKEN -> 1;
      case NOT_A_LOG -> 2;
    };
  }

  private static LogVerifier.Options options(Args a) throws IOException {
    List<Path> anchors = new ArrayList<>();
    for (String file : a.options("--checkpoints")) {
      anchors.add(existing(file));
    }
    return LogVerifier.Options.of(existing(a.target)).withPublicKey(publicKey(a)).withCheckpoints(anchors);
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /** One stream of a PostgreSQL decision log, read with the PostgreSQL JDBC driver. */
  private static VerificationReport verifyPostgres(Args a) throws IOException {
    String url = a.option("--jdbc");
    if (a.target != null) {
      throw new UsageException("verify --jdbc reads the log from PostgreSQL and takes no log directory, but got '"
          + a.target + "'");
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new UsageException("--jdbc must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
    }
    String stream = a.option("--stream");
    if (stream == null) {
      throw new UsageException("verify --jdbc needs --stream <id>: the stream (instance id) to verify");
    }
    if (a.option("--checkpoints") != null) {
      throw new UsageException("--checkpoints compares a log directory with a file; for a PostgreSQL stream, compare"
          + " in code with PostgresDecisionLog.verify(.., PostgresCheckpointPublisher.published(stream))");
    }
    String table = a.option("--table") == null ? "aims_decision_log" : a.option("--table");
    String user = a.option("--user");
    String passwordVar = a.option("--password-env");
    String password = null;
    if (passwordVar != null) {
      if (user == null) {
        throw new UsageException("--password-env goes with --user");
      }
      password = System.getenv(passwordVar);
      if (password == null) {
        throw new UsageException("--password-env names " + passwordVar + ", but that environment variable is not set");
      }
    }
    PublicKey key = publicKey(a);
    DataSource ds;
    try {
      ds = PostgresSource.of(url, user, password);
    } catch (NoClassDefFoundError e) {
      throw new IOException("verify --jdbc needs the PostgreSQL JDBC driver (org.postgresql:postgresql) on the class"
          + " path", e);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--jdbc is not a URL the PostgreSQL driver accepts");
    }
    try {
      return PostgresDecisionLog.verify(ds, table, stream, key, List.of());
    } catch (SQLException e) {
      String why = String.valueOf(e.getMessage()).replaceAll("jdbc:[^\\s,;)]+", "<jdbc url>");
      throw new IOException("cannot read stream " + stream + " of " + table + " from PostgreSQL: " + why
          + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"), e);
    }
  }

  /** Apart, so that the driver's classes are loaded only by {@code verify --jdbc}: the driver is optional. */
  private static final class PostgresSource {
    static DataSource of(String url, @Nullable String user, @Nullable String password) {
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setURL(url);
      if (user != null) {
        pg.setUser(user);
      }
      if (password != null) {
        pg.setPassword(password);
      }
      return pg;
    }
  }

  /** Exit 0 when the log verified (or, without a key, is consistent), 1 when it did not: the report says which first. */
  private static int report(Args a, PrintStream out) throws IOException {
    String format = a.option("--format") == null ? "markdown" : a.option("--format");
    String framework = a.option("--framework");
    if (!format.equals("markdown") && !format.equals("html") && !(format.equals("json") && framework != null)) {
      throw new UsageException(format.equals("json") ? "--format json goes with --framework"
          : "--format must be markdown, html or (with --framework) json but was '" + format + "'");
    }
    @Nullable ControlMapping mapping;
    try {
      mapping = framework == null ? null : ControlMapping.builtIn(framework);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--framework: " + e.getMessage());
    }
    ReportPeriod period;
    try {
      period = ReportPeriod.parse(a.option("--from"), a.option("--to"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    EvidenceReport report = EvidenceReport.builder(existing(a.target))
        .publicKey(publicKey(a))
        .checkpoints(options(a).checkpoints())
        .period(period)
        .build();
    if (report.verification().status() == VerificationReport.Status.NOT_A_LOG) {
      out.println(report.verification().headline());
      return 2;
    }
    if (mapping != null) {
      CompliancePack pack = CompliancePack.of(report, mapping);
      out.print(format.equals("json") ? pack.json() : format.equals("html") ? pack.html() : pack.markdown());
      return report.passed() ? 0 : 1;
    }
    out.print(format.equals("html") ? report.html() : report.markdown());
    return report.passed() ? 0 : 1;
  }

  private static int registerExport(String[] args, PrintStream out) throws IOException {
    if (args.length < 2 || !args[1].equals("export")) {
      throw new UsageException("register takes the subcommand export");
    }
    String[] rest = new String[args.length - 1];
    rest[0] = "register export";
    System.arraycopy(args, 2, rest, 1, args.length - 2);
    Args a = parse(rest, List.of("--public-key", "--checkpoints", "--system", "--format"));
    String format = a.option("--format") == null ? "markdown" : a.option("--format");
    if (!format.equals("markdown") && !format.equals("json")) {
      throw new UsageException("--format must be markdown or json but was '" + format + "'");
    }
    EvidenceReport report = EvidenceReport.builder(existing(a.target)).publicKey(publicKey(a))
        .checkpoints(options(a).checkpoints()).build();
    if (report.verification().status() == VerificationReport.Status.NOT_A_LOG) {
      out.println(report.verification().headline());
      return 2;
    }
    SystemCards cards;
    try {
      cards = SystemCards.of(report, a.option("--system"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--system: " + e.getMessage());
    }
    out.print(format.equals("json") ? cards.json() : cards.markdown());
    return report.passed() ? 0 : 1;
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

  private record Args(@Nullable String target, List<String> options) {
    @Nullable String option(String name) {
      List<String> all = options(name);
      if (all.size() > 1 && !name.equals("--checkpoints")) {
        throw new UsageException(name + " was given " + all.size() + " times");
      }
      return all.isEmpty() ? null : all.get(0);
    }

    List<String> options(String name) {
      List<String> all = new ArrayList<>();
      for (int i = 0; i < options.size(); i += 2) {
        if (options.get(i).equals(name)) {
          all.add(options.get(i + 1));
        }
      }
      return all;
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
    if (target == null && !options.contains("--jdbc")) {
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
