package io.integrationhub.dataplane.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IPv6 forms that a translator or tunnel delivers to an IPv4 address are judged by that address. */
class TranslatedAddressPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}: internal={2}")
    @CsvSource({
        "64:ff9b::a00:1, 10.0.0.1 via NAT64, true",
        "64:ff9b::a9fe:a9fe, metadata via NAT64, true",
        "64:ff9b::7f00:1, loopback via NAT64, true",
        "64:ff9b::808:808, 8.8.8.8 via NAT64, false",
        "64:ff9b:1::a00:1, 10.0.0.1 via local-use NAT64 /96, true",
        "64:ff9b:1:a00:0:100::, 10.0.0.1 via local-use NAT64 /48, true",
        "64:ff9b:1:808:8:808:808:808, 8.8.8.8 in every local-use NAT64 position, false",
        "2002:a00:1::1, 10.0.0.1 via 6to4, true",
        "2002:a9fe:a9fe::1, metadata via 6to4, true",
        "2002:808:808::1, 8.8.8.8 via 6to4, false",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe, Teredo client 10.0.0.1, true",
        "2001:0:a00:1:8000:63bf:f7f7:f7f7, Teredo server 10.0.0.1, true",
        "2001:0:4136:e378:8000:63bf:f7f7:f7f7, Teredo client 8.8.8.8 server 65.54.227.120, false",
        "2001:4860:4860::8888, plain public IPv6, false"
    })
    void anAddressThatDeliversToAnIpv4AddressIsJudgedByIt(String address, String meaning, boolean internal)
            throws Exception {
        InetAddress parsed = InetAddress.getByName(address);
        assertThat(DestinationPolicy.isInternal(parsed)).as(meaning).isEqualTo(internal);
        assertThat(new DestinationPolicy(List.of()).permits(parsed, false))
                .as(meaning)
                .isEqualTo(!internal);
        assertThat(new DestinationPolicy(List.of()).permits(parsed, true))
                .as("allowPrivateNetwork")
                .isTrue();
    }
}
