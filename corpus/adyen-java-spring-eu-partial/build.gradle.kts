plugins {
    java
    id("org.springframework.boot") version "3.3.1"
}

dependencies {
    implementation("com.adyen:adyen-java-api-library:28.0.0")
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("org.springframework.boot:spring-boot-starter-thymeleaf")
}
