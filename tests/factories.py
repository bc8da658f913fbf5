import factory

from tambon.models import (
    District,
    Membership,
    Network,
    Programme,
    Province,
    Role,
    SubDistrict,
    Tambon,
    University,
    User,
)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{90 + n % 9}")
    name_th = factory.Sequence(lambda n: f"จังหวัดทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test province {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.province.code}{n % 100:02d}")
    name_th = factory.Sequence(lambda n: f"อำเภอทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test district {n}")


class SubDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubDistrict
        django_get_or_create = ["code"]

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}{n % 100:02d}")
    name_th = factory.Sequence(lambda n: f"ตำบลทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test sub-district {n}")
    postcode = "10000"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n % 9 + 1)
    name_th = factory.LazyAttribute(lambda o: f"เครือข่ายทดสอบ {o.number}")
    name_en = factory.LazyAttribute(lambda o: f"Test network {o.number}")


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"U{n}")
    short_name = factory.LazyAttribute(lambda o: o.code)
    name_th = factory.Sequence(lambda n: f"มหาวิทยาลัยทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test University {n}")
    network = factory.SubFactory(NetworkFactory)


class TambonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tambon

    programme = factory.LazyFunction(Programme.current)
    subdistrict = factory.SubFactory(SubDistrictFactory)
    university = factory.SubFactory(UniversityFactory)
    network = factory.LazyAttribute(lambda o: o.university.network)
    is_active = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pbm-test")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.UNIVERSITY_REPORTER
