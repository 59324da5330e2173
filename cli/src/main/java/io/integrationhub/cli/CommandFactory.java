package io.integrationhub.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Builds commands with the {@link Session} through their constructor, so that no command reads
 * {@code System.getenv} or {@code System.in} itself; everything else (mixins, converters) comes
 * from picocli's default factory.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final Session session;

    CommandFactory(Session session) {
        this.session = session;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> withSession;
        try {
            withSession = type.getConstructor(Session.class);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(type);
        }
        return withSession.newInstance(session);
    }
}
