import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.Ticketing;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import java.util.List;

/**
 * The database CPU harness's schema (scripts/pg-cpu/harness.sh): run with the example jar of the code under test,
 * {@code java -cp JAR scripts/pg-cpu/Setup.java SCHEMA [CAP]}. Drops and makes SCHEMA with that code's store and
 * creates the benchmark's hot event in it (20 subsections of 100 x 100, PostgresReservationBenchmark's), with
 * {@code maxSeatsPerBuyer} CAP if given (through reflection, so that the pre-rules jar, which has no rules, runs
 * it too). Prints the event's id.
 */
public final class Setup {
    public static void main(String[] args) throws Exception {
        String schema = args[0];
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
            ds.setUsername("postgres");
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            JdbcTicketStore store = JdbcTicketStore.builder(ds).schema(schema).build();
            try (Ticketing ticketing = Ticketing.builder().store(store).build()) {
                SeatingConfig seating = new SeatingConfig(100, 100, List.of(new Section("A", 2500, 20)));
                EventDraft draft;
                if (args.length > 1) {
                    Class<?> rules = Class.forName("io.ticketing.core.model.EventRules");
                    Object cap = rules.getConstructor(Integer.class).newInstance(Integer.valueOf(args[1]));
                    draft = EventDraft.class.getConstructor(String.class, String.class, String.class,
                            EventStatus.class, SeatingConfig.class, rules)
                            .newInstance("hot event", null, null, EventStatus.AVAILABLE, seating, cap);
                } else {
                    draft = EventDraft.class.getConstructor(String.class, String.class, String.class,
                            EventStatus.class, SeatingConfig.class)
                            .newInstance("hot event", null, null, EventStatus.AVAILABLE, seating);
                }
                Event event = ticketing.events().create(User.seller(1), draft);
                System.out.println(event.id());
            }
        }
    }
}
