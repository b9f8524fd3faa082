package io.keel.store.http;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.etcd.jetcd.api.JetcdProto;

/**
 * etcd 3.4's {@code rpc.proto} as the JSON gateway reads and writes it: jetcd-grpc's descriptors
 * plus what they lack (the fields {@code apply/WireExtras} reads by number, and the
 * {@code Lease/LeaseLeases} call with its messages).
 */
final class EtcdApiSchema {
  static final FileDescriptor RPC = build();

  private EtcdApiSchema() {}

  private static FileDescriptor build() {
    FileDescriptor jetcd = JetcdProto.getDescriptor();
    FileDescriptorProto.Builder file = jetcd.toProto().toBuilder();
    for (DescriptorProto.Builder message : file.getMessageTypeBuilderList()) {
      switch (message.getName()) {
        case "Compare" -> {
          message.getEnumTypeBuilderList().stream()
              .filter(e -> e.getName().equals("CompareTarget")).findFirst().orElseThrow()
              .addValue(EnumValueDescriptorProto.newBuilder().setName("LEASE").setNumber(4));
          message.addField(scalar("lease", 8, Type.TYPE_INT64).setOneofIndex(0));
        }
        case "WatchCreateRequest" -> message
            .addField(scalar("watch_id", 7, Type.TYPE_INT64))
            .addField(scalar("fragment", 8, Type.TYPE_BOOL));
        case "WatchResponse" -> message.addField(scalar("fragment", 7, Type.TYPE_BOOL));
        default -> { }
      }
    }
    file.addMessageType(DescriptorProto.newBuilder().setName("LeaseLeasesRequest"));
    file.addMessageType(DescriptorProto.newBuilder().setName("LeaseStatus")
        .addField(scalar("ID", 1, Type.TYPE_INT64)));
    file.addMessageType(DescriptorProto.newBuilder().setName("LeaseLeasesResponse")
        .addField(message("header", 1, ".etcdserverpb.ResponseHeader"))
        .addField(message("leases", 2, ".etcdserverpb.LeaseStatus").setLabel(Label.LABEL_REPEATED)));
    file.getServiceBuilderList().stream().filter(s -> s.getName().equals("Lease")).findFirst()
        .orElseThrow().addMethod(MethodDescriptorProto.newBuilder().setName("LeaseLeases")
            .setInputType(".etcdserverpb.LeaseLeasesRequest")
            .setOutputType(".etcdserverpb.LeaseLeasesResponse"));
    try {
      return FileDescriptor.buildFrom(file.build(),
          jetcd.getDependencies().toArray(new FileDescriptor[0]));
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("cannot extend jetcd-grpc's rpc.proto: " + e.getMessage(), e);
    }
  }

  private static FieldDescriptorProto.Builder scalar(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(Label.LABEL_OPTIONAL);
  }

  private static FieldDescriptorProto.Builder message(String name, int number, String typeName) {
    return scalar(name, number, Type.TYPE_MESSAGE).setTypeName(typeName);
  }
}
