package io.keel.cli.update;

import io.keel.lifecycle.update.Channel;
import io.keel.lifecycle.update.UpdateException;
import picocli.CommandLine;

/** {@code --channel alpha|beta|stable}, refusing anything else by name. */
final class ChannelConverter implements CommandLine.ITypeConverter<Channel> {
  @Override
  public Channel convert(String value) {
    try {
      return Channel.parse(value);
    } catch (UpdateException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
